import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @ffgate/token db:generate` writes SQL migrations from src/store/schema.ts.
// The same migrations run on PostgreSQL and PGlite at service start (see @ffgate/db migrate()).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
