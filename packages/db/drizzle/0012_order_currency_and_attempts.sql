ALTER TABLE "orders" DROP CONSTRAINT "orders_connection_channel_reference";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "previous_attempt_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_previous_attempt_id_orders_id_fk" FOREIGN KEY ("previous_attempt_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_connection_channel_reference_attempt" UNIQUE("connection_id","channel","reference","attempt");