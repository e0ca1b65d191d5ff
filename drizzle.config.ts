import { defineConfig } from 'drizzle-kit';

/** `npx drizzle-kit generate` writes a new migration into db/migrations from db/schema.ts. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
