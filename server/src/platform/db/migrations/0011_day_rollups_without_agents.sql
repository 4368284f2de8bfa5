CREATE TABLE "analytics_rollup_day_agent" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
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
	CONSTRAINT "analytics_rollup_day_agent_workspace_id_day_agent_id_team_pk" PRIMARY KEY("workspace_id","day","agent_id","team")
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_day_team" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"queue_id" text NOT NULL,
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
	CONSTRAINT "analytics_rollup_day_team_workspace_id_day_channel_queue_id_team_pk" PRIMARY KEY("workspace_id","day","channel","queue_id","team")
);
--> statement-breakpoint
ALTER TABLE "analytics_rollup_day_agent" ADD CONSTRAINT "analytics_rollup_day_agent_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_rollup_day_team" ADD CONSTRAINT "analytics_rollup_day_team_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill from the day rows already built, so existing history reads the same from either table.
INSERT INTO "analytics_rollup_day_team" ("workspace_id", "day", "channel", "queue_id", "team", "offered", "answered", "abandoned", "answered_in_sl", "wait_ms", "handled", "handle_ms", "acw_ms", "transfers", "conversations", "resolved", "fcr", "first_responses", "first_response_ms", "resolution_ms", "ss_runs", "ss_contained", "csat_n", "csat_sum", "csat_satisfied", "nps_n", "nps_promoters", "nps_detractors", "outcomes", "sales", "revenue", "sla_breaches")
SELECT "workspace_id", "day", "channel", "queue_id", "team", sum("offered"), sum("answered"), sum("abandoned"), sum("answered_in_sl"), sum("wait_ms"), sum("handled"), sum("handle_ms"), sum("acw_ms"), sum("transfers"), sum("conversations"), sum("resolved"), sum("fcr"), sum("first_responses"), sum("first_response_ms"), sum("resolution_ms"), sum("ss_runs"), sum("ss_contained"), sum("csat_n"), sum("csat_sum"), sum("csat_satisfied"), sum("nps_n"), sum("nps_promoters"), sum("nps_detractors"), sum("outcomes"), sum("sales"), sum("revenue"), sum("sla_breaches") FROM "analytics_rollup_day" GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "analytics_rollup_day_agent" ("workspace_id", "day", "agent_id", "team", "offered", "answered", "abandoned", "answered_in_sl", "wait_ms", "handled", "handle_ms", "acw_ms", "transfers", "conversations", "resolved", "fcr", "first_responses", "first_response_ms", "resolution_ms", "ss_runs", "ss_contained", "csat_n", "csat_sum", "csat_satisfied", "nps_n", "nps_promoters", "nps_detractors", "outcomes", "sales", "revenue", "sla_breaches")
SELECT "workspace_id", "day", "agent_id", "team", sum("offered"), sum("answered"), sum("abandoned"), sum("answered_in_sl"), sum("wait_ms"), sum("handled"), sum("handle_ms"), sum("acw_ms"), sum("transfers"), sum("conversations"), sum("resolved"), sum("fcr"), sum("first_responses"), sum("first_response_ms"), sum("resolution_ms"), sum("ss_runs"), sum("ss_contained"), sum("csat_n"), sum("csat_sum"), sum("csat_satisfied"), sum("nps_n"), sum("nps_promoters"), sum("nps_detractors"), sum("outcomes"), sum("sales"), sum("revenue"), sum("sla_breaches") FROM "analytics_rollup_day" GROUP BY 1, 2, 3, 4;
