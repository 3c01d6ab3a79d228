CREATE TABLE "deletion_plans" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"strategy" text DEFAULT 'all' NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"round_started_at" timestamp (3) with time zone,
	"decided_at" timestamp (3) with time zone,
	"window_ms" bigint DEFAULT 0 NOT NULL,
	"rounds" integer DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"foreign" integer DEFAULT 0 NOT NULL,
	"calls_all" integer DEFAULT 0 NOT NULL,
	"calls_per_type" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "deletion_plans_strategy" CHECK ("deletion_plans"."strategy" in ('all', 'per_type'))
);
--> statement-breakpoint
CREATE TABLE "deletion_rounds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deletion_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"connection_id" uuid NOT NULL,
	"round_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"chain" text NOT NULL,
	"strategy" text NOT NULL,
	"probe" boolean DEFAULT false NOT NULL,
	"pages" integer NOT NULL,
	"records" integer NOT NULL,
	"foreign" integer NOT NULL,
	"foreign_span_ms" bigint DEFAULT 0 NOT NULL,
	"by_entity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	"parked" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_deletions" (
	"connection_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"exact_id" uuid NOT NULL,
	"timestamp" bigint NOT NULL,
	"deleted_at" timestamp (3) with time zone NOT NULL,
	"parked_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pending_deletions_connection_id_entity_exact_id_pk" PRIMARY KEY("connection_id","entity","exact_id"),
	CONSTRAINT "pending_deletions_entity" CHECK ("entity" in ('items', 'stock', 'prices', 'accounts'))
);
--> statement-breakpoint
ALTER TABLE "sync_state" DROP CONSTRAINT "sync_state_entity";--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "entity_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "error_since" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "retry_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "dropped_fields" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "stale_resync_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "stale_resync_reason" text;--> statement-breakpoint
ALTER TABLE "deletion_plans" ADD CONSTRAINT "deletion_plans_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_rounds" ADD CONSTRAINT "deletion_rounds_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_deletions" ADD CONSTRAINT "pending_deletions_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deletion_rounds_window" ON "deletion_rounds" USING btree ("connection_id","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deletion_rounds_run" ON "deletion_rounds" USING btree ("connection_id","round_at","chain","probe");--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_entity" CHECK ("entity" in ('items', 'stock', 'prices', 'accounts', 'deleted', 'deleted_items', 'deleted_stock', 'deleted_prices', 'deleted_accounts'));