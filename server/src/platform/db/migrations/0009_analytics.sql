CREATE TABLE "analytics_agent_states" (
	"workspace_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"presence" text NOT NULL,
	"routable" boolean NOT NULL,
	"tasks" text[] DEFAULT '{}'::text[] NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "analytics_agent_states_workspace_id_agent_id_pk" PRIMARY KEY("workspace_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_agent_time_15m" (
	"workspace_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"agent_id" text NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"logged_in_ms" bigint DEFAULT 0 NOT NULL,
	"available_ms" bigint DEFAULT 0 NOT NULL,
	"busy_ms" bigint DEFAULT 0 NOT NULL,
	"occupiable_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_agent_time_15m_workspace_id_bucket_agent_id_team_pk" PRIMARY KEY("workspace_id","bucket","agent_id","team")
);
--> statement-breakpoint
CREATE TABLE "analytics_agent_time_day" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" text NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"logged_in_ms" bigint DEFAULT 0 NOT NULL,
	"available_ms" bigint DEFAULT 0 NOT NULL,
	"busy_ms" bigint DEFAULT 0 NOT NULL,
	"occupiable_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_agent_time_day_workspace_id_day_agent_id_team_pk" PRIMARY KEY("workspace_id","day","agent_id","team")
);
--> statement-breakpoint
CREATE TABLE "analytics_conversations" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid,
	"channel" text NOT NULL,
	"queue_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reopened" boolean DEFAULT false NOT NULL,
	"repeat_contact" boolean DEFAULT false NOT NULL,
	"self_service_runs" integer DEFAULT 0 NOT NULL,
	"self_service_contained" integer DEFAULT 0 NOT NULL,
	"csat" integer,
	"nps" integer,
	"outcomes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sla_breaches" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_conversations_workspace_id_conversation_id_pk" PRIMARY KEY("workspace_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_15m" (
	"workspace_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"queue_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"offered" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	"answered_in_sl" bigint DEFAULT 0 NOT NULL,
	"wait_ms" bigint DEFAULT 0 NOT NULL,
	"handled" bigint DEFAULT 0 NOT NULL,
	"handle_ms" bigint DEFAULT 0 NOT NULL,
	"acw_ms" bigint DEFAULT 0 NOT NULL,
	"transfers" bigint DEFAULT 0 NOT NULL,
	"conversations" bigint DEFAULT 0 NOT NULL,
	"resolved" bigint DEFAULT 0 NOT NULL,
	"fcr" bigint DEFAULT 0 NOT NULL,
	"first_responses" bigint DEFAULT 0 NOT NULL,
	"first_response_ms" bigint DEFAULT 0 NOT NULL,
	"resolution_ms" bigint DEFAULT 0 NOT NULL,
	"ss_runs" bigint DEFAULT 0 NOT NULL,
	"ss_contained" bigint DEFAULT 0 NOT NULL,
	"csat_n" bigint DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_satisfied" bigint DEFAULT 0 NOT NULL,
	"nps_n" bigint DEFAULT 0 NOT NULL,
	"nps_promoters" bigint DEFAULT 0 NOT NULL,
	"nps_detractors" bigint DEFAULT 0 NOT NULL,
	"outcomes" bigint DEFAULT 0 NOT NULL,
	"sales" bigint DEFAULT 0 NOT NULL,
	"revenue" double precision DEFAULT 0 NOT NULL,
	"sla_breaches" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_rollup_15m_workspace_id_bucket_channel_queue_id_agent_id_team_pk" PRIMARY KEY("workspace_id","bucket","channel","queue_id","agent_id","team")
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_day" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"queue_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"offered" bigint DEFAULT 0 NOT NULL,
	"answered" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	"answered_in_sl" bigint DEFAULT 0 NOT NULL,
	"wait_ms" bigint DEFAULT 0 NOT NULL,
	"handled" bigint DEFAULT 0 NOT NULL,
	"handle_ms" bigint DEFAULT 0 NOT NULL,
	"acw_ms" bigint DEFAULT 0 NOT NULL,
	"transfers" bigint DEFAULT 0 NOT NULL,
	"conversations" bigint DEFAULT 0 NOT NULL,
	"resolved" bigint DEFAULT 0 NOT NULL,
	"fcr" bigint DEFAULT 0 NOT NULL,
	"first_responses" bigint DEFAULT 0 NOT NULL,
	"first_response_ms" bigint DEFAULT 0 NOT NULL,
	"resolution_ms" bigint DEFAULT 0 NOT NULL,
	"ss_runs" bigint DEFAULT 0 NOT NULL,
	"ss_contained" bigint DEFAULT 0 NOT NULL,
	"csat_n" bigint DEFAULT 0 NOT NULL,
	"csat_sum" bigint DEFAULT 0 NOT NULL,
	"csat_satisfied" bigint DEFAULT 0 NOT NULL,
	"nps_n" bigint DEFAULT 0 NOT NULL,
	"nps_promoters" bigint DEFAULT 0 NOT NULL,
	"nps_detractors" bigint DEFAULT 0 NOT NULL,
	"outcomes" bigint DEFAULT 0 NOT NULL,
	"sales" bigint DEFAULT 0 NOT NULL,
	"revenue" double precision DEFAULT 0 NOT NULL,
	"sla_breaches" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_rollup_day_workspace_id_day_channel_queue_id_agent_id_team_pk" PRIMARY KEY("workspace_id","day","channel","queue_id","agent_id","team")
);
--> statement-breakpoint
CREATE TABLE "analytics_segments" (
	"workspace_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"conversation_id" uuid,
	"channel" text NOT NULL,
	"queue_id" text DEFAULT '' NOT NULL,
	"agent_id" text DEFAULT '' NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"wrap_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"outcome" text,
	"end_reason" text,
	"in_service_level" boolean DEFAULT false NOT NULL,
	"transferred_in" boolean DEFAULT false NOT NULL,
	"transferred_out" boolean DEFAULT false NOT NULL,
	CONSTRAINT "analytics_segments_workspace_id_task_id_seq_pk" PRIMARY KEY("workspace_id","task_id","seq")
);
--> statement-breakpoint
CREATE TABLE "analytics_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text DEFAULT 'Europe/Amsterdam' NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"cost_per_agent_hour" double precision DEFAULT 35 NOT NULL,
	"fcr_window_days" integer DEFAULT 7 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_agent_states" ADD CONSTRAINT "analytics_agent_states_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_agent_time_15m" ADD CONSTRAINT "analytics_agent_time_15m_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_agent_time_day" ADD CONSTRAINT "analytics_agent_time_day_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_conversations" ADD CONSTRAINT "analytics_conversations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_rollup_15m" ADD CONSTRAINT "analytics_rollup_15m_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_rollup_day" ADD CONSTRAINT "analytics_rollup_day_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_segments" ADD CONSTRAINT "analytics_segments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_settings" ADD CONSTRAINT "analytics_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_conversations_created" ON "analytics_conversations" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "analytics_conversations_customer" ON "analytics_conversations" USING btree ("workspace_id","customer_id","resolved_at");--> statement-breakpoint
CREATE INDEX "analytics_segments_started" ON "analytics_segments" USING btree ("workspace_id","started_at");