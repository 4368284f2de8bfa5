CREATE TABLE "routing_agents" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"skills" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"capacity" jsonb,
	"presence" text DEFAULT 'offline' NOT NULL,
	"presence_since" timestamp with time zone NOT NULL,
	CONSTRAINT "routing_agents_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "routing_commands" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"command" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "routing_leases" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"node_id" text NOT NULL,
	"renewed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_queues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"eligibility" text DEFAULT '' NOT NULL,
	"order" text DEFAULT 'fifo' NOT NULL,
	"max_size" integer,
	"hours" jsonb,
	"service_level_seconds" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid,
	"workflow_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"attributes" jsonb NOT NULL,
	"base_priority" integer DEFAULT 0 NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"sla_seconds" integer,
	"preferred_agent_id" uuid,
	"state" text NOT NULL,
	"step_index" integer DEFAULT 0 NOT NULL,
	"step_entered_at" timestamp with time zone,
	"queue_id" uuid,
	"agent_id" uuid,
	"offers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rejected_by" text[] DEFAULT '{}'::text[] NOT NULL,
	"callback" boolean DEFAULT false NOT NULL,
	"transfer" jsonb,
	"end_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"assigned_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "routing_workflows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"default_steps" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "routing_agents" ADD CONSTRAINT "routing_agents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_agents" ADD CONSTRAINT "routing_agents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_commands" ADD CONSTRAINT "routing_commands_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_leases" ADD CONSTRAINT "routing_leases_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_queues" ADD CONSTRAINT "routing_queues_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_settings" ADD CONSTRAINT "routing_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_tasks" ADD CONSTRAINT "routing_tasks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_workflows" ADD CONSTRAINT "routing_workflows_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_commands_pending" ON "routing_commands" USING btree ("workspace_id","id") WHERE "routing_commands"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "routing_queues_name" ON "routing_queues" USING btree ("workspace_id",lower("name"));--> statement-breakpoint
CREATE INDEX "routing_tasks_active" ON "routing_tasks" USING btree ("workspace_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "routing_tasks_conversation_live" ON "routing_tasks" USING btree ("workspace_id","conversation_id") WHERE "routing_tasks"."state" not in ('completed', 'canceled');--> statement-breakpoint
CREATE INDEX "routing_tasks_created" ON "routing_tasks" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "routing_workflows_name" ON "routing_workflows" USING btree ("workspace_id",lower("name"));