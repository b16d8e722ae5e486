# syntax=docker/dockerfile:1
# wgbot: build with dev dependencies, run with production ones only, as a non-root user, SQLite on /data.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and @resvg/resvg-js are native: the first builds from source when no prebuilt binary can be
# fetched, which needs a compiler and Python.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `npm ci` runs the `prepare` script (the TypeScript build), so the sources must be there first.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# DejaVu fonts draw the text of the burn-up chart.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core tini && rm -rf /var/lib/apt/lists/*
# HOST=0.0.0.0: a container must listen on every interface to be reached at all; keep the port
# unpublished (or behind a proxy) instead, as deploy/compose.yaml does.
ENV NODE_ENV=production \
    DATABASE_PATH=/data/wgbot.db \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
COPY bin ./bin
COPY migrations ./migrations
COPY assessments ./assessments
COPY demo ./demo
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# npm does not pass SIGTERM on to its child: tini -g sends it to the whole process group, so node gets it,
# finishes the job in flight and closes the database.
ENTRYPOINT ["/usr/bin/tini", "-g", "--"]
CMD ["npm", "start"]
