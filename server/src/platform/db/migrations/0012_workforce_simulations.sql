CREATE TABLE "workforce_simulations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"scenario" jsonb NOT NULL,
	"result" jsonb,
	"error" text,
	"created_by" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_node" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "workforce_simulations" ADD CONSTRAINT "workforce_simulations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workforce_simulations_list" ON "workforce_simulations" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "workforce_simulations_due" ON "workforce_simulations" USING btree ("status","lease_until");