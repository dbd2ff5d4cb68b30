# syntax=docker/dockerfile:1
# Petto customer-data gateway. Build: docker build -t petto-gateway .
# Run:   docker run -p 4000:4000 -e JWT_SECRET=<at least 32 bytes> -v petto-data:/data petto-gateway
# With NODE_ENV=production (set below) the gateway needs JWT_SECRET, seeds no demo shop
# and prints no tokens. Without DATABASE_URL it keeps an embedded PGlite in /data.

# ---- build: compile TypeScript (the only stage that has it) ----
FROM node:22-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
# No dependency needs its install script (PGlite is WebAssembly, pg is plain JavaScript),
# and the slim image has no compiler for one that would.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
# tsc -p tsconfig.build.json: emits dist/src/main.js (and dist/ormconfig.js).
RUN npm run build

# ---- runtime: compiled code and production dependencies only, as user node ----
# Node 22 LTS: Node 20 is end-of-life.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    PGLITE_DIR=/data
WORKDIR /app

# A fresh install of the runtime dependencies, not a pruned copy of the build's. ts-node is
# an optional peer of typeorm (and typescript one of ts-node), so `--omit=dev` alone keeps
# both: optional packages are left out too (none is needed at run time: the others are
# the explorer's websocket client, pg's Cloudflare socket and type-only packages).
# test/architecture/docker-image.test.ts checks the resulting list.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
# Owned by root and read-only for the process; only /data is writable by it.
COPY --from=build /app/dist ./dist
# Carrier integrations may run only these operations (the safelist).
COPY contracts ./contracts

RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node
EXPOSE 4000

# No curl in slim images: ask node itself. /healthz says the process is up; /readyz
# (database reachable) is for the orchestrator's readiness probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

CMD ["node", "dist/src/main.js"]
