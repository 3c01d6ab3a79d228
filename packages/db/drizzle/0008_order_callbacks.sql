CREATE TABLE "callback_secrets" (
	"connection_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"secret_enc" text NOT NULL,
	"previous_secret_enc" text,
	"previous_expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp (3) with time zone,
	CONSTRAINT "callback_secrets_connection_id_channel_pk" PRIMARY KEY("connection_id","channel"),
	CONSTRAINT "callback_secrets_channel" CHECK ("callback_secrets"."channel" in ('b2b', 'b2c'))
);
--> statement-breakpoint
DROP INDEX "order_callbacks_due";--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "order_callbacks_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD COLUMN "payload" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD COLUMN "last_attempt_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD COLUMN "failed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD COLUMN "held_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "callback_secrets" ADD CONSTRAINT "callback_secrets_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_callbacks_order" ON "order_callbacks" USING btree ("order_id","seq");--> statement-breakpoint
CREATE INDEX "order_callbacks_given_up" ON "order_callbacks" USING btree ("failed_at") WHERE "order_callbacks"."failed_at" is not null;--> statement-breakpoint
CREATE INDEX "order_callbacks_due" ON "order_callbacks" USING btree ("next_attempt_at") WHERE "order_callbacks"."delivered_at" is null and "order_callbacks"."failed_at" is null;