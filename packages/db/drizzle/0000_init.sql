CREATE TABLE "accounts" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text NOT NULL,
	"name" text,
	"email" text,
	"city" text,
	"country" text,
	"status" text,
	"blocked" boolean,
	CONSTRAINT "accounts_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_channel" CHECK ("api_keys"."channel" in ('b2b', 'b2c'))
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"exact_base_url" text NOT NULL,
	"division" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"paused" boolean DEFAULT false NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"access_token_expires_at" timestamp (3) with time zone,
	"token_issued_at" timestamp (3) with time zone,
	"refresh_token_issued_at" timestamp (3) with time zone,
	"division_move_date" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connections_name_not_blank" CHECK (length(trim("connections"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "items" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text NOT NULL,
	"description" text,
	"unit" text,
	"is_sales_item" boolean DEFAULT true NOT NULL,
	"is_webshop_item" boolean,
	"barcode" text,
	"cost_price" numeric,
	CONSTRAINT "items_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "order_callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp (3) with time zone,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_lines" (
	"order_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"quantity" numeric NOT NULL,
	"unit_price" numeric,
	"exact_item_id" uuid,
	CONSTRAINT "order_lines_order_id_line_no_pk" PRIMARY KEY("order_id","line_no"),
	CONSTRAINT "order_lines_quantity_positive" CHECK ("order_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"reference" text NOT NULL,
	"your_ref" text NOT NULL,
	"payload_hash" text NOT NULL,
	"customer" jsonb NOT NULL,
	"order_date" date,
	"delivery_date" date,
	"note" text,
	"status" text DEFAULT 'accepted' NOT NULL,
	"status_reason" text,
	"exact_account_id" uuid,
	"exact_order_id" uuid,
	"exact_order_number" integer,
	"post_attempts" integer DEFAULT 0 NOT NULL,
	"accepted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"submitting_at" timestamp (3) with time zone,
	"submitted_at" timestamp (3) with time zone,
	"rejected_at" timestamp (3) with time zone,
	"failed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_connection_channel_reference" UNIQUE("connection_id","channel","reference"),
	CONSTRAINT "orders_status" CHECK ("orders"."status" in ('accepted', 'submitting', 'submitted', 'rejected', 'failed')),
	CONSTRAINT "orders_channel" CHECK ("orders"."channel" in ('b2b', 'b2c')),
	CONSTRAINT "orders_submitted_has_exact_id" CHECK ("orders"."status" <> 'submitted' or "orders"."exact_order_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "rate_budgets" (
	"budget_key" text PRIMARY KEY NOT NULL,
	"minute_limit" integer,
	"day_limit" integer,
	"day_remaining" integer,
	"day_reset_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales_item_prices" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"item_id" uuid NOT NULL,
	"item_code" text,
	"account_id" uuid,
	"currency" text,
	"price" numeric,
	"quantity" numeric,
	"unit" text,
	"start_date" timestamp (3) with time zone,
	"end_date" timestamp (3) with time zone,
	CONSTRAINT "sales_item_prices_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "stock_positions" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"item_id" uuid NOT NULL,
	"item_code" text,
	"warehouse_id" uuid,
	"warehouse_code" text,
	"current_stock" numeric,
	"free_stock" numeric,
	"planning_in" numeric,
	"planning_out" numeric,
	"projected_stock" numeric,
	"reserved_stock" numeric,
	CONSTRAINT "stock_positions_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"connection_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"phase" text DEFAULT 'initial' NOT NULL,
	"cursor" bigint DEFAULT 0 NOT NULL,
	"next_url" text,
	"full_run_started_at" timestamp (3) with time zone,
	"full_resync_requested" integer DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"last_run_records" integer DEFAULT 0 NOT NULL,
	"last_success_at" timestamp (3) with time zone,
	"last_error" text,
	"last_error_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_connection_id_entity_pk" PRIMARY KEY("connection_id","entity"),
	CONSTRAINT "sync_state_entity" CHECK ("sync_state"."entity" in ('items', 'stock', 'prices', 'accounts', 'deleted')),
	CONSTRAINT "sync_state_phase" CHECK ("sync_state"."phase" in ('initial', 'incremental'))
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"exact_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_callbacks" ADD CONSTRAINT "order_callbacks_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_item_prices" ADD CONSTRAINT "sales_item_prices_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_positions" ADD CONSTRAINT "stock_positions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_code" ON "accounts" USING btree ("connection_id","code");--> statement-breakpoint
CREATE INDEX "accounts_updated" ON "accounts" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "items_code" ON "items" USING btree ("connection_id","code");--> statement-breakpoint
CREATE INDEX "items_updated" ON "items" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "order_callbacks_due" ON "order_callbacks" USING btree ("next_attempt_at") WHERE "order_callbacks"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "orders_updated" ON "orders" USING btree ("connection_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "orders_open" ON "orders" USING btree ("status") WHERE "orders"."status" in ('accepted', 'submitting', 'failed');--> statement-breakpoint
CREATE INDEX "prices_item" ON "sales_item_prices" USING btree ("connection_id","item_code");--> statement-breakpoint
CREATE INDEX "prices_updated" ON "sales_item_prices" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "stock_item" ON "stock_positions" USING btree ("connection_id","item_code");--> statement-breakpoint
CREATE INDEX "stock_updated" ON "stock_positions" USING btree ("connection_id","updated_at","exact_id");