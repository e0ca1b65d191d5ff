CREATE TABLE `check_results` (
	`session_id` text NOT NULL,
	`lab_id` text NOT NULL,
	`check_id` text NOT NULL,
	`status` text NOT NULL,
	`points` real NOT NULL,
	`max_points` real NOT NULL,
	`message` text NOT NULL,
	`path` text,
	`expected` text,
	`actual` text,
	PRIMARY KEY(`session_id`, `lab_id`, `check_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`message` text NOT NULL,
	`data` text,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_session` ON `events` (`session_id`,`id`);--> statement-breakpoint
CREATE TABLE `flags` (
	`session_id` text NOT NULL,
	`lab_id` text NOT NULL,
	`flagged` integer NOT NULL,
	PRIMARY KEY(`session_id`, `lab_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`terminal` text NOT NULL,
	`file` text NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	`bytes` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recordings_session` ON `recordings` (`session_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target_id` text NOT NULL,
	`title` text NOT NULL,
	`candidate` text NOT NULL,
	`mode` text NOT NULL,
	`token_hash` text NOT NULL,
	`state` text NOT NULL,
	`seed` text NOT NULL,
	`provider` text NOT NULL,
	`cluster_name` text,
	`duration_minutes` integer NOT NULL,
	`created_at` text NOT NULL,
	`started_at` text,
	`deadline_at` text,
	`submitted_at` text,
	`graded_at` text,
	`score_percent` real,
	`passed` integer,
	`report` text,
	`notes` text DEFAULT '' NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `sessions_state` ON `sessions` (`state`);