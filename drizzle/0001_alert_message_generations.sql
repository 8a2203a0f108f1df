DROP INDEX "alert_messages_issue_chat_idx";--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "event_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "alert_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "alert_count" SET DEFAULT 1;--> statement-breakpoint
ALTER TABLE "issue_states" ALTER COLUMN "event_count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "alert_messages" ADD COLUMN "route_thread_id" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "alert_messages" SET "route_thread_id" = coalesce("thread_id", 0);--> statement-breakpoint
ALTER TABLE "alert_messages" ADD COLUMN "generation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_messages" ADD COLUMN "opened_by" text;--> statement-breakpoint
ALTER TABLE "alert_messages" ADD COLUMN "reply_to_message_id" integer;--> statement-breakpoint
ALTER TABLE "alert_messages" ADD COLUMN "opened_for" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "last_transition" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "transition_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "last_signal_key" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "last_signal_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "suppressed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "redriven_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_messages_issue_chat_topic_generation_idx" ON "alert_messages" USING btree ("issue_id","chat_id","route_thread_id","generation");