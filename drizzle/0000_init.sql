CREATE TABLE "alert_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"thread_id" integer,
	"message_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"rendered_hash" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"kind" text DEFAULT 'issue' NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"source" text NOT NULL,
	"title" text NOT NULL,
	"level" text,
	"project" text,
	"component" text,
	"environment" text,
	"release" text,
	"event_count" integer,
	"alert_count" integer DEFAULT 1 NOT NULL,
	"snapshot" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status_by" text,
	"status_at" timestamp with time zone,
	"muted_until" timestamp with time zone,
	"first_alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"issue_id" text,
	"result" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"idempotency_key" text
);
--> statement-breakpoint
CREATE TABLE "investigations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"status" text NOT NULL,
	"summary" text,
	"result" jsonb,
	"comment_id" text,
	"requested_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "issue_states" (
	"issue_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"last_seen" timestamp with time zone,
	"last_alerted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"component" text NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"new_issues" integer DEFAULT 0 NOT NULL,
	"resolved_issues" integer DEFAULT 0 NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"runbook_path" text NOT NULL,
	"score" real NOT NULL,
	"comment_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alert_messages_issue_chat_idx" ON "alert_messages" USING btree ("issue_id","chat_id");--> statement-breakpoint
CREATE INDEX "alert_messages_chat_idx" ON "alert_messages" USING btree ("chat_id","message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_issue_idx" ON "alerts" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "alerts_last_alerted_idx" ON "alerts" USING btree ("last_alerted_at");--> statement-breakpoint
CREATE INDEX "audit_log_issue_idx" ON "audit_log" USING btree ("issue_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_idempotency_key_idx" ON "audit_log" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "investigations_issue_idx" ON "investigations" USING btree ("issue_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "metrics_history_date_component_idx" ON "metrics_history" USING btree ("date","component");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_links_issue_runbook_idx" ON "runbook_links" USING btree ("issue_id","runbook_path");