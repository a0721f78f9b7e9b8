const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Hands out one prefix per namespace for a response document; declarations go on the body's wrapper element. */
export class PrefixRegistry {
  private readonly prefixes = new Map<string, string>();

  constructor(private readonly defaultNs?: string) {}

  qualify(ns: string, name: string): string {
    if (ns === this.defaultNs) return name;
    let prefix = this.prefixes.get(ns);
    if (!prefix) {
      prefix = prefixFor(this.prefixes.size);
      this.prefixes.set(ns, prefix);
    }
    return `${prefix}:${name}`;
  }

  declarations(): string {
    const own = this.defaultNs ? ` xmlns="${this.defaultNs}"` : '';
    return own + [...this.prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${ns}"`).join('');
  }
}

function prefixFor(index: number): string {
  // a, b, …, z, then a1, b1 — `i` stays reserved for XMLSchema-instance like WCF does.
  const letters = 'abcdefghjklmnopqrstuvwxyz';
  const round = Math.floor(index / letters.length);
  return letters[index % letters.length] + (round ? String(round) : '');
}
