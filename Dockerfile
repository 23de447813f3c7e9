# The wall's image for docker-compose.yml (ClickHouse runs in its own container there).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx next build
EXPOSE 3000
# Plain node as PID 1 (tsx only as a loader): SIGTERM from `docker stop` reaches the server's own
# handler, which finishes ingests in flight and exits 0. The tsx CLI would relay it and then kill.
# The shell only raises the soft open-files limit to the hard one (Node cannot) and execs node.
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec node --import tsx server/index.ts"]
