# syntax=docker/dockerfile:1
# Build context: the repository root (see docker-compose.yml).

FROM node:22-slim AS build
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    CI=true
RUN npm install -g pnpm@10.34.8
WORKDIR /repo
# The lockfile alone decides the downloaded packages, so this layer survives source changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store
# --filter-prod: the service and its runtime workspace dependencies, not test tooling.
RUN pnpm --filter-prod "@ashchat/translator..." --sort build
# --legacy: the workspace links its packages instead of injecting them (pnpm 10 deploy needs one).
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm --filter @ashchat/translator deploy --prod --legacy --store-dir /pnpm/store /out

FROM node:22-slim
ENV NODE_ENV=production \
    TRANSLATOR_PORT=3002
WORKDIR /app
# Owned by root and read-only for the service user: the process cannot rewrite its own code.
COPY --from=build /out ./
USER node
EXPOSE 3002
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TRANSLATOR_PORT || 3002) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
