ALTER TABLE "order_lines" ADD COLUMN "unit_code" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "delivery_address_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "contact_id" uuid;