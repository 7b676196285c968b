# CivicCert production image. Not built on the development machine (no Docker engine there);
# see docs/operations.md, "Containers".
#
#   docker build -t civiccert .
#   docker run --read-only --tmpfs /tmp -e DATABASE_URL=postgres://… -e SECRETS_KEY=… -p 3000:3000 civiccert

# ---- build: install everything, build the web app ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# ---- runtime ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CIVICCERT_DATA_DIR=/var/lib/civiccert \
    TMPDIR=/tmp
WORKDIR /app
# Owned by root and read-only to the app user; the app writes only to $TMPDIR (tsx's compile
# cache) and, with the embedded PostgreSQL, $CIVICCERT_DATA_DIR.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /app/programs ./programs
COPY --from=build /app/assets ./assets
COPY --from=build /app/dist/web ./dist/web
RUN mkdir -p /var/lib/civiccert && chown node:node /var/lib/civiccert
USER node
EXPOSE 3000
# Mount a writable /tmp (tmpfs or volume) when the root file system is read-only.
VOLUME ["/tmp"]
# /healthz: the process is up and the database answered within HEALTH_DB_GRACE_SECONDS.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: stop accepting, finish in-flight requests and jobs, exit within SHUTDOWN_TIMEOUT_SECONDS.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/cli/main.ts", "serve"]
