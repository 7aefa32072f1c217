import { readdir, readFile, readlink } from "node:fs/promises";
import { BlockList, createServer, type Server } from "node:net";

function listenOnLoopback(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A free TCP port on 127.0.0.1 (closed again before use; good enough on a test machine). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `count` distinct free TCP ports on 127.0.0.1. All are held open until the last is found, so the
 * kernel cannot hand out one port twice (which separate `freePort()` calls allow).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnLoopback());
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** One TCP socket of a process, from /proc/net/tcp{,6}. */
export interface TcpSocket {
  /** `LISTEN`, `ESTABLISHED`, `TIME_WAIT`, or the kernel's hex state for the others. */
  readonly state: string;
  readonly local: TcpAddress;
  readonly remote: TcpAddress;
}

/** An address as /proc shows it: IPv6 written out in full (`0:0:0:0:0:0:0:1`), never `::`. */
export interface TcpAddress {
  readonly host: string;
  readonly family: "ipv4" | "ipv6";
  readonly port: number;
}

const tcpStates: Record<string, string> = {
  "01": "ESTABLISHED",
  "06": "TIME_WAIT",
  "0A": "LISTEN",
};

/** A /proc/net/tcp address (`0100007F:2475`: 32-bit words in little-endian order, hex port). */
function procAddress(hex: string): TcpAddress {
  const [host = "", port = ""] = hex.split(":");
  const bytes = Buffer.concat(
    (host.match(/.{8}/g) ?? []).map((word) => Buffer.from(word, "hex").reverse()),
  );
  const ipv4 = bytes.length === 4;
  return {
    host: ipv4
      ? [...bytes].join(".")
      : Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(":"),
    family: ipv4 ? "ipv4" : "ipv6",
    port: parseInt(port, 16),
  };
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; false for wildcards and everything else. */
export function isLoopback(address: TcpAddress): boolean {
  return loopback.check(address.host, address.family);
}

/**
 * Every TCP socket process `pid` holds (Linux only): the socket inodes of its file descriptors,
 * looked up in /proc/net/tcp and /proc/net/tcp6 — what `ss -tanp` shows, without needing `ss`.
 */
export async function tcpSocketsOf(pid: number): Promise<TcpSocket[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const sockets: TcpSocket[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const rows = (await readFile(table, "utf8")).trim().split("\n").slice(1);
    for (const row of rows) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
      const fields = row.trim().split(/\s+/);
      if (!inodes.has(fields[9] ?? "")) continue;
      sockets.push({
        state: tcpStates[fields[3] ?? ""] ?? fields[3] ?? "",
        local: procAddress(fields[1] ?? ""),
        remote: procAddress(fields[2] ?? ""),
      });
    }
  }
  return sockets;
}
