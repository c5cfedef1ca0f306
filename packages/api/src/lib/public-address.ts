import { type LookupAddress, lookup } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";

/**
 * Whether an IP address is on the public internet: not loopback, private, link-local, carrier
 * NAT, multicast, reserved, unique-local... (ipaddr.js's "unicast" range; an IPv4-mapped IPv6
 * address is judged as the IPv4 address it maps).
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === "unicast";
}

/**
 * Why a URL given by a customer may not be called from inside our network, or null when it may:
 * a name that is the machine itself, or an IP literal that is not public. Names are checked
 * again when connecting (publicOnlyAgent), where what they resolve to is known.
 */
export function privateUrlReason(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "must not point at this server (localhost)";
  if (isIP(host) && !isPublicAddress(host))
    return "must not point at a private, loopback or reserved address";
  return null;
}

/**
 * An HTTP agent that only connects to public addresses: the name is resolved once, private
 * answers are dropped, and the connection goes to an address that was checked (so a name that
 * resolves differently a moment later, DNS rebinding, cannot slip through). IP literals do not
 * go through a lookup: check them with privateUrlReason first.
 */
export function publicOnlyAgent(): Agent {
  return new Agent({
    connect: {
      lookup(hostname, options, callback) {
        lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
          if (err) return callback(err, "", 0);
          const allowed = addresses.filter((a) => isPublicAddress(a.address));
          if (allowed.length === 0) {
            const refused = Object.assign(new Error(`${hostname} resolves to no public address`), {
              code: "EADDRNOTPUBLIC",
            });
            return callback(refused, "", 0);
          }
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
          } else callback(null, allowed[0]!.address, allowed[0]!.family);
        });
      },
    },
  });
}
