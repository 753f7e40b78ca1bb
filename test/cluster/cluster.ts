/**
 * A real Socket.IO cluster on loopback: redis-server, N socket.io 4.8 processes with the Redis
 * adapter, and the sticky proxy in front. stop() kills everything it started.
 */
import { fileURLToPath } from "node:url";
import { forkServer, type ChildServer } from "../reliability/support/child.js";
import { startRedis, type RedisServer } from "./redis.js";
import { StickyProxy } from "./sticky-proxy.js";

const NODE_SCRIPT = fileURLToPath(new URL("./node-server.mjs", import.meta.url));

export interface NodeStats {
  node: string;
  connections: number;
  connectionErrors: { code: number; message: string }[];
  received: Record<string, number>;
}

export type ClusterNode = ChildServer<NodeStats>;

export interface Cluster {
  redis: RedisServer;
  nodes: ClusterNode[];
  proxy: StickyProxy;
  stop(): Promise<void>;
}

export async function startCluster(size = 3): Promise<Cluster> {
  const redis = await startRedis();
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const name = String.fromCharCode(65 + i);
      nodes.push(await forkServer<NodeStats>(NODE_SCRIPT, name, { NODE_NAME: name, REDIS_URL: redis.url }));
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill()));
    await redis.stop();
    throw err;
  }
  const proxy = await StickyProxy.start(nodes.map((n) => ({ name: n.name, port: n.port })));
  return {
    redis,
    nodes,
    proxy,
    async stop() {
      await proxy.close();
      await Promise.all(nodes.map((n) => n.kill()));
      await redis.stop();
    },
  };
}
