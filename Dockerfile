# One image for every ffgate service; each compose/Kubernetes service picks its entry point:
#   working directory /app/services/<service>, command node --import @ffgate/telemetry/register src/main.ts
# (the `start` script without pnpm in between: pnpm does not pass SIGTERM on to node, so the
# ordered shutdown and the transcoders' drain would never run). The default is the all-in-one.
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

# Local state (embedded database, media) when DATABASE_URL is unset, and the shared media root of
# the gateway and transcoders: owned by the runtime user, so a fresh named volume mounted there
# inherits that ownership.
RUN mkdir -p /data /media/shared /media/home && chown -R node:node /data /media
ENV NODE_ENV=production \
    FFGATE_DATA_DIR=/data \
    PORT=8080

USER node
EXPOSE 8080
WORKDIR /app/packages/all-in-one
CMD ["node", "--import", "@ffgate/telemetry/register", "src/main.ts"]
