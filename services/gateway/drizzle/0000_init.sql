CREATE SCHEMA IF NOT EXISTS "gateway";
--> statement-breakpoint
CREATE TABLE "gateway"."audit_heads" (
	"writer" text PRIMARY KEY NOT NULL,
	"writer_seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."audit_records" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"writer" text NOT NULL,
	"writer_seq" integer NOT NULL,
	"prev_hash" text,
	"hash" text NOT NULL,
	"time" text NOT NULL,
	"action" text NOT NULL,
	"user_id" text,
	"user_name" text,
	"client_id" text,
	"jti" text,
	"job_id" text,
	"details" jsonb NOT NULL,
	"ingested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_records_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "gateway"."jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"owner_user_name" text NOT NULL,
	"client_id" text,
	"jti" text NOT NULL,
	"credential_issued_at" timestamp (3) with time zone NOT NULL,
	"profile" text NOT NULL,
	"queue" text NOT NULL,
	"input" text NOT NULL,
	"output" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"status_seq" integer DEFAULT 0 NOT NULL,
	"progress" jsonb,
	"progress_seq" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"cancel_reason" text,
	"cancel_requested" text,
	"idempotency_key" text,
	"attempt" integer DEFAULT 0 NOT NULL,
	"worker" text,
	"dispatched_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "gateway"."users" (
	"id" text PRIMARY KEY NOT NULL,
	"user_name" text NOT NULL,
	"active" boolean NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"state" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_writer_seq_idx" ON "gateway"."audit_records" USING btree ("writer","writer_seq");--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "gateway"."audit_records" USING btree ("user_id","time","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_owner_idempotency_idx" ON "gateway"."jobs" USING btree ("owner_id","idempotency_key") WHERE "gateway"."jobs"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "jobs_owner_created_idx" ON "gateway"."jobs" USING btree ("owner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "jobs_waiting_idx" ON "gateway"."jobs" USING btree ("owner_id","created_at") WHERE "gateway"."jobs"."status" = 'queued' and "gateway"."jobs"."dispatched_at" is null;--> statement-breakpoint
CREATE INDEX "jobs_unfinished_idx" ON "gateway"."jobs" USING btree ("owner_id") WHERE "gateway"."jobs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_jti_idx" ON "gateway"."jobs" USING btree ("jti");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "gateway"."outbox" USING btree ("seq") WHERE "gateway"."outbox"."sent_at" is null;