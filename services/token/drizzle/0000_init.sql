CREATE SCHEMA IF NOT EXISTS "token";
--> statement-breakpoint
CREATE TABLE "token"."audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"user_id" text,
	"client_id" text,
	"jti" text,
	"reason" text,
	"actor" text
);
--> statement-breakpoint
CREATE TABLE "token"."clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"user_id" text,
	"scope" text DEFAULT 'job' NOT NULL,
	"secret_hmac" text NOT NULL,
	"disabled_at" timestamp (3) with time zone,
	"disabled_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "token"."credentials" (
	"jti" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"client_id" text NOT NULL,
	"kind" text NOT NULL,
	"profiles" jsonb NOT NULL,
	"queues" jsonb NOT NULL,
	"issued_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"revoke_reason" text
);
--> statement-breakpoint
CREATE TABLE "token"."outbox" (
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
CREATE TABLE "token"."signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_key_sealed" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone,
	"not_after" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "token"."users" (
	"id" text PRIMARY KEY NOT NULL,
	"user_name" text NOT NULL,
	"external_id" text,
	"emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"state" jsonb NOT NULL,
	"profiles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"queues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer NOT NULL,
	"revoked_before" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "token"."audit" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "audit_jti_idx" ON "token"."audit" USING btree ("jti");--> statement-breakpoint
CREATE INDEX "clients_user_idx" ON "token"."clients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "credentials_user_live_idx" ON "token"."credentials" USING btree ("user_id") WHERE "token"."credentials"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "credentials_client_live_idx" ON "token"."credentials" USING btree ("client_id") WHERE "token"."credentials"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "credentials_expires_idx" ON "token"."credentials" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "token"."outbox" USING btree ("seq") WHERE "token"."outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "users_user_name_lower_idx" ON "token"."users" USING btree (lower("user_name"));--> statement-breakpoint
CREATE INDEX "users_external_id_idx" ON "token"."users" USING btree ("external_id");