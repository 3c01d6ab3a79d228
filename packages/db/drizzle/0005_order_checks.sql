CREATE TABLE "exact_lookups" (
	"connection_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"looked_up_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"exact_id" uuid,
	"blocked" boolean,
	"is_sales_item" boolean,
	"api_key_id" uuid,
	CONSTRAINT "exact_lookups_connection_id_kind_code_pk" PRIMARY KEY("connection_id","kind","code"),
	CONSTRAINT "exact_lookups_kind" CHECK ("exact_lookups"."kind" in ('item_code', 'account_code', 'account_id'))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "rejection" jsonb;--> statement-breakpoint
ALTER TABLE "exact_lookups" ADD CONSTRAINT "exact_lookups_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exact_lookups" ADD CONSTRAINT "exact_lookups_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exact_lookups_key" ON "exact_lookups" USING btree ("api_key_id","looked_up_at");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_exact_rejections" ON "orders" USING btree ("api_key_id","rejected_at") WHERE "orders"."rejection"->>'code' = 'exact_rejected';