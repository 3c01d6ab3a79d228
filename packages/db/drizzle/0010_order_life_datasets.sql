CREATE TABLE "addresses" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"account_id" uuid,
	"contact_id" uuid,
	"type" integer,
	"main" boolean,
	"address_line1" text,
	"address_line2" text,
	"address_line3" text,
	"postcode" text,
	"city" text,
	"state" text,
	"country" text,
	"phone" text,
	CONSTRAINT "addresses_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"account_id" uuid,
	"is_main_contact" boolean,
	"first_name" text,
	"last_name" text,
	"full_name" text,
	"job_title" text,
	"email" text,
	"phone" text,
	"mobile" text,
	CONSTRAINT "contacts_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "exact_order_headers" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"order_id" uuid,
	"order_number" integer,
	"order_date" timestamp (3) with time zone,
	"delivery_date" timestamp (3) with time zone,
	"ordered_by" uuid,
	"deliver_to" uuid,
	"delivery_address" uuid,
	"your_ref" text,
	"description" text,
	"currency" text,
	"amount_dc" numeric,
	"amount_fc" numeric,
	"amount_fc_excl_vat" numeric,
	"status" integer,
	"delivery_status" integer,
	"invoice_status" integer,
	CONSTRAINT "exact_order_headers_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "exact_order_lines" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"order_id" uuid,
	"order_number" integer,
	"line_number" integer,
	"item_id" uuid,
	"item_code" text,
	"description" text,
	"quantity" numeric,
	"quantity_delivered" numeric,
	"quantity_invoiced" numeric,
	"unit_code" text,
	"unit_price" numeric,
	"net_price" numeric,
	"discount" numeric,
	"amount_dc" numeric,
	"vat_code" text,
	"vat_amount" numeric,
	"vat_percentage" numeric,
	"status" integer,
	"delivery_status" integer,
	"invoice_status" integer,
	CONSTRAINT "exact_order_lines_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "goods_deliveries" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"delivery_number" integer,
	"delivery_date" timestamp (3) with time zone,
	"delivery_account" uuid,
	"delivery_address" uuid,
	"description" text,
	"tracking_number" text,
	"shipping_method_code" text,
	"warehouse_code" text,
	CONSTRAINT "goods_deliveries_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "goods_delivery_lines" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"entry_id" uuid,
	"line_number" integer,
	"item_id" uuid,
	"item_code" text,
	"quantity_ordered" numeric,
	"quantity_delivered" numeric,
	"sales_order_line_id" uuid,
	"sales_order_number" integer,
	"unit_code" text,
	"delivery_date" timestamp (3) with time zone,
	"tracking_number" text,
	CONSTRAINT "goods_delivery_lines_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
CREATE TABLE "sales_invoice_lines" (
	"connection_id" uuid NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"modified" timestamp (3) with time zone,
	"deleted_at" timestamp (3) with time zone,
	"seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"invoice_id" uuid,
	"invoice_number" integer,
	"invoice_date" timestamp (3) with time zone,
	"due_date" timestamp (3) with time zone,
	"invoice_to" uuid,
	"sales_order_id" uuid,
	"sales_order_line_id" uuid,
	"sales_order_number" integer,
	"line_number" integer,
	"item_id" uuid,
	"item_code" text,
	"description" text,
	"quantity" numeric,
	"net_price" numeric,
	"amount_dc" numeric,
	"vat_amount_dc" numeric,
	"vat_code" text,
	"vat_percentage" numeric,
	"currency" text,
	"status" integer,
	"type" integer,
	CONSTRAINT "sales_invoice_lines_connection_id_exact_id_pk" PRIMARY KEY("connection_id","exact_id")
);
--> statement-breakpoint
ALTER TABLE "pending_deletions" DROP CONSTRAINT "pending_deletions_entity";--> statement-breakpoint
ALTER TABLE "sync_state" DROP CONSTRAINT "sync_state_entity";--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exact_order_headers" ADD CONSTRAINT "exact_order_headers_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exact_order_lines" ADD CONSTRAINT "exact_order_lines_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goods_deliveries" ADD CONSTRAINT "goods_deliveries_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goods_delivery_lines" ADD CONSTRAINT "goods_delivery_lines_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_invoice_lines" ADD CONSTRAINT "sales_invoice_lines_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "addresses_account" ON "addresses" USING btree ("connection_id","account_id");--> statement-breakpoint
CREATE INDEX "addresses_updated" ON "addresses" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "contacts_account" ON "contacts" USING btree ("connection_id","account_id");--> statement-breakpoint
CREATE INDEX "contacts_updated" ON "contacts" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "exact_order_headers_order" ON "exact_order_headers" USING btree ("connection_id","order_id");--> statement-breakpoint
CREATE INDEX "exact_order_headers_number" ON "exact_order_headers" USING btree ("connection_id","order_number");--> statement-breakpoint
CREATE INDEX "exact_order_headers_updated" ON "exact_order_headers" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "exact_order_lines_order" ON "exact_order_lines" USING btree ("connection_id","order_id");--> statement-breakpoint
CREATE INDEX "exact_order_lines_updated" ON "exact_order_lines" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "goods_deliveries_updated" ON "goods_deliveries" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "goods_delivery_lines_order" ON "goods_delivery_lines" USING btree ("connection_id","sales_order_number");--> statement-breakpoint
CREATE INDEX "goods_delivery_lines_entry" ON "goods_delivery_lines" USING btree ("connection_id","entry_id");--> statement-breakpoint
CREATE INDEX "goods_delivery_lines_updated" ON "goods_delivery_lines" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
CREATE INDEX "sales_invoice_lines_order" ON "sales_invoice_lines" USING btree ("connection_id","sales_order_id");--> statement-breakpoint
CREATE INDEX "sales_invoice_lines_number" ON "sales_invoice_lines" USING btree ("connection_id","sales_order_number");--> statement-breakpoint
CREATE INDEX "sales_invoice_lines_updated" ON "sales_invoice_lines" USING btree ("connection_id","updated_at","exact_id");--> statement-breakpoint
ALTER TABLE "pending_deletions" ADD CONSTRAINT "pending_deletions_entity" CHECK ("entity" in ('items', 'stock', 'prices', 'accounts', 'addresses', 'contacts', 'orderHeaders', 'orderLines', 'deliveries', 'deliveryLines', 'invoices'));--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_entity" CHECK ("entity" in ('items', 'stock', 'prices', 'accounts', 'addresses', 'contacts', 'orderHeaders', 'orderLines', 'deliveries', 'deliveryLines', 'invoices', 'deleted', 'deleted_items', 'deleted_stock', 'deleted_prices', 'deleted_accounts', 'deleted_addresses', 'deleted_contacts', 'deleted_orderHeaders', 'deleted_orderLines', 'deleted_deliveries', 'deleted_deliveryLines', 'deleted_invoices'));