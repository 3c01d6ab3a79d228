ALTER TABLE "orders" DROP CONSTRAINT "orders_status";--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_submitted_has_exact_id";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "partly_delivered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "delivered_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "invoiced_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancelled_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "exact_version" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_status" CHECK ("status" in ('accepted', 'submitting', 'submitted', 'rejected', 'failed', 'partly_delivered', 'delivered', 'invoiced', 'cancelled'));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_submitted_has_exact_id" CHECK ("orders"."status" in ('accepted', 'submitting', 'rejected', 'failed') or "orders"."exact_order_id" is not null);