CREATE TABLE "runbook_clicks" (
	"runbook" text NOT NULL,
	"issue_id" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"last_clicked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runbook_clicks_runbook_issue_id_day_pk" PRIMARY KEY("runbook","issue_id","day")
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "runbook" jsonb;--> statement-breakpoint
ALTER TABLE "runbook_links" ADD COLUMN "state" text DEFAULT 'posted' NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_links" ADD COLUMN "why" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_links" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runbook_links" ADD COLUMN "posted_at" timestamp with time zone;