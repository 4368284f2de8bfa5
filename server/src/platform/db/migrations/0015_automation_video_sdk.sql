CREATE TABLE "webchat_visitor_connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"connected_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"response_excerpt" text
);
--> statement-breakpoint
CREATE TABLE "automation_rule_hits" (
	"rule_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"last_message_id" uuid,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "automation_rule_hits_rule_id_conversation_id_pk" PRIMARY KEY("rule_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "video_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"offered_by" text NOT NULL,
	"agent_id" uuid,
	"state" text NOT NULL,
	"audio_only" boolean DEFAULT false NOT NULL,
	"recording_allowed" boolean DEFAULT false NOT NULL,
	"recording_consented" boolean DEFAULT false NOT NULL,
	"task_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"connected_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "video_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"customer_may_start" boolean DEFAULT false NOT NULL,
	"recording_enabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "rate_per_minute" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "campaign_rate_per_minute" integer;--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD COLUMN "origin" text DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD COLUMN "schedule" jsonb;--> statement-breakpoint
ALTER TABLE "automation_rules" ADD COLUMN "next_run_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "dynamic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webchat_visitor_connections" ADD CONSTRAINT "webchat_visitor_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webchat_visitor_connections" ADD CONSTRAINT "webchat_visitor_connections_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webchat_visitor_connections" ADD CONSTRAINT "webchat_visitor_connections_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rule_hits" ADD CONSTRAINT "automation_rule_hits_rule_id_automation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automation_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rule_hits" ADD CONSTRAINT "automation_rule_hits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_calls" ADD CONSTRAINT "video_calls_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_calls" ADD CONSTRAINT "video_calls_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_calls" ADD CONSTRAINT "video_calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_settings" ADD CONSTRAINT "video_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webchat_visitor_connections_customer" ON "webchat_visitor_connections" USING btree ("channel_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_attempts_once" ON "webhook_delivery_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "video_calls_conversation" ON "video_calls" USING btree ("workspace_id","conversation_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "video_calls_live" ON "video_calls" USING btree ("workspace_id","conversation_id") WHERE "video_calls"."state" in ('offered', 'ringing', 'accepted', 'connected');--> statement-breakpoint
CREATE INDEX "video_calls_task" ON "video_calls" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "automation_rules_due" ON "automation_rules" USING btree ("next_run_at");