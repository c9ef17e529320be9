# One image for every ffgate service; each compose/Kubernetes service picks its entry point with
#   pnpm --filter @ffgate/<service> start
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
FROM node:24-slim

# ffmpeg for the transcoders (Debian 12: 5.1 with x264/x265/vpx/opus/svt-av1).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*

RUN npm i -g pnpm@10.34.9

WORKDIR /app

# Fetch dependencies from the lockfile alone, so this layer survives source changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

COPY . .
RUN pnpm install --offline --frozen-lockfile --prod=false

# Local state (embedded database, media) when DATABASE_URL is unset; writable by the runtime user.
RUN mkdir -p /data && chown node:node /data
ENV NODE_ENV=production \
    FFGATE_DATA_DIR=/data \
    PORT=8080

USER node
EXPOSE 8080
CMD ["pnpm", "start"]
