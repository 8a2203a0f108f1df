CREATE TABLE "bulk_operation_items" (
	"operation_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"title" text NOT NULL,
	"prior_status" text,
	"position" integer NOT NULL,
	"applied_at" timestamp with time zone,
	"restored_at" timestamp with time zone,
	CONSTRAINT "bulk_operation_items_operation_id_issue_id_pk" PRIMARY KEY("operation_id","issue_id")
);
--> statement-breakpoint
CREATE TABLE "bulk_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"action" text NOT NULL,
	"query" text NOT NULL,
	"project" text,
	"requested_by" text NOT NULL,
	"via" text NOT NULL,
	"state" text NOT NULL,
	"issue_count" integer NOT NULL,
	"chat_id" text,
	"thread_id" integer,
	"preview_message_id" integer,
	"backup_file" text,
	"dry_run" boolean DEFAULT false NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"backed_up_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"restored_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "episodes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"issue_id" text NOT NULL,
	"seq" integer NOT NULL,
	"state" text NOT NULL,
	"experiment_group" text NOT NULL,
	"regression" boolean DEFAULT false NOT NULL,
	"alert_count" integer DEFAULT 1 NOT NULL,
	"alerted_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"first_action" text,
	"closed_at" timestamp with time zone,
	"closed_as" text,
	"closed_via" text,
	"closed_by" text,
	"investigation_shown_at" timestamp with time zone,
	"runbook_shown_at" timestamp with time zone,
	"investigation_vote" text,
	"runbook_clicks" integer DEFAULT 0 NOT NULL,
	"crossover_at" timestamp with time zone,
	"crossover_action" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "bulk_operations_created_idx" ON "bulk_operations" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "episodes_issue_seq_idx" ON "episodes" USING btree ("issue_id","seq");--> statement-breakpoint
CREATE INDEX "episodes_alerted_idx" ON "episodes" USING btree ("alerted_at");