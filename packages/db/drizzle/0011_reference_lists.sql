CREATE TABLE "item_groups" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text,
	"description" text,
	"is_default" boolean,
	CONSTRAINT "item_groups_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "price_list_periods" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"price_list_id" uuid,
	"start_date" timestamp (3) with time zone,
	"end_date" timestamp (3) with time zone,
	"currency" text,
	"type" integer,
	CONSTRAINT "price_list_periods_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text,
	"description" text,
	"currency" text,
	"entity" integer,
	"type" integer,
	CONSTRAINT "price_lists_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text,
	"description" text,
	"active" boolean,
	"main" boolean,
	"type" text,
	CONSTRAINT "units_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "vat_codes" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text,
	"description" text,
	"percentage" numeric,
	"type" text,
	"charged" boolean,
	"is_blocked" boolean,
	"vat_transaction_type" text,
	CONSTRAINT "vat_codes_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "vat_percentages" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"vat_code_id" uuid,
	"line_number" integer,
	"percentage" numeric,
	"start_date" timestamp (3) with time zone,
	"end_date" timestamp (3) with time zone,
	"type" integer,
	CONSTRAINT "vat_percentages_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "volume_discounts" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"price_list_code" text,
	"price_list_period_id" uuid,
	"item_id" uuid,
	"item_code" text,
	"item_group_id" uuid,
	"item_group_code" text,
	"entry_method" integer,
	"discount" numeric,
	"new_price" numeric,
	"base_price_amount" numeric,
	"quantity" numeric,
	"number_of_items_per_unit" numeric,
	"unit" text,
	CONSTRAINT "volume_discounts_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"row_hash" text NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"code" text,
	"description" text,
	"main" boolean,
	CONSTRAINT "warehouses_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
ALTER TABLE "sync_state" DROP CONSTRAINT "sync_state_entity";--> statement-breakpoint
ALTER TABLE "item_groups" ADD CONSTRAINT "item_groups_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_periods" ADD CONSTRAINT "price_list_periods_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vat_codes" ADD CONSTRAINT "vat_codes_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vat_percentages" ADD CONSTRAINT "vat_percentages_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volume_discounts" ADD CONSTRAINT "volume_discounts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warehouses" ADD CONSTRAINT "warehouses_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_list_periods_list" ON "price_list_periods" USING btree ("connection_id","price_list_id");--> statement-breakpoint
CREATE INDEX "vat_codes_code" ON "vat_codes" USING btree ("connection_id","code");--> statement-breakpoint
CREATE INDEX "vat_percentages_code" ON "vat_percentages" USING btree ("connection_id","vat_code_id");--> statement-breakpoint
CREATE INDEX "volume_discounts_period" ON "volume_discounts" USING btree ("connection_id","price_list_period_id");--> statement-breakpoint
CREATE INDEX "volume_discounts_item" ON "volume_discounts" USING btree ("connection_id","item_id");--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_entity" CHECK ("entity" in ('items', 'stock', 'prices', 'accounts', 'addresses', 'contacts', 'orderHeaders', 'orderLines', 'deliveries', 'deliveryLines', 'invoices', 'deleted', 'deleted_items', 'deleted_stock', 'deleted_prices', 'deleted_accounts', 'deleted_addresses', 'deleted_contacts', 'deleted_orderHeaders', 'deleted_orderLines', 'deleted_deliveries', 'deleted_deliveryLines', 'deleted_invoices', 'priceLists', 'priceListPeriods', 'volumeDiscounts', 'vatCodes', 'vatPercentages', 'itemGroups', 'units', 'warehouses'));