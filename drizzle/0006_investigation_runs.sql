ALTER TABLE "investigations" ADD COLUMN "event_id" text;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "duration_ms" integer;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "timings" jsonb;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "timed_out_step" text;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "from_cache" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "report_hash" text;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "vote" text;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "voted_by" text;--> statement-breakpoint
ALTER TABLE "investigations" ADD COLUMN "voted_at" timestamp with time zone;