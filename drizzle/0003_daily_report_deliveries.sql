CREATE TABLE "daily_report_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"chat_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"photo_message_id" integer,
	"message_id" integer,
	"error" text,
	"claimed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "daily_report_deliveries_date_chat_idx" ON "daily_report_deliveries" USING btree ("date","chat_id");