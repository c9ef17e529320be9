import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @ffgate/gateway db:generate` writes SQL migrations from src/store/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
