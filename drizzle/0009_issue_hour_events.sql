CREATE TABLE "issue_hour_events" (
	"issue_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "issue_hour_events_issue_id_hour_pk" PRIMARY KEY("issue_id","hour")
);
--> statement-breakpoint
CREATE TABLE "issue_hour_snapshots" (
	"taken_at" timestamp with time zone PRIMARY KEY NOT NULL,
	"issues" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "issue_hour_events_hour_idx" ON "issue_hour_events" USING btree ("hour");