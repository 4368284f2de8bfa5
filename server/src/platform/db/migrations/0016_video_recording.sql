ALTER TABLE "video_calls" ADD COLUMN "recording_attachment_id" uuid;--> statement-breakpoint
ALTER TABLE "video_calls" ADD COLUMN "end_message_id" uuid;--> statement-breakpoint
ALTER TABLE "video_calls" ADD CONSTRAINT "video_calls_recording_attachment_id_attachments_id_fk" FOREIGN KEY ("recording_attachment_id") REFERENCES "public"."attachments"("id") ON DELETE set null ON UPDATE no action;