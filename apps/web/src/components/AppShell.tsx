import { Link, useNavigate } from "@tanstack/react-router";
import { useSwitchOrganization } from "@wedsync/ui/session";
import { TopBar } from "@wedsync/ui/TopBar";
import type { Session } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import {
  Button,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
} from "react-aria-components";
import { type Org, ROLE_WORDS } from "../lib/org";

/** The banner: product, the organization (a switcher for people in several), who is signed in, sign out. */
export function AppHeader({ session, org }: { session: Session; org: Org }) {
  const role =
    org.isStaff && !session.organizations.some((o) => o.id === org.id)
      ? "Platform staff"
      : ROLE_WORDS[org.role];
  return (
    <TopBar
      brand={
        <Link to="/o/$orgId/config" params={{ orgId: org.id }}>
          WedSync <span className="product">Supplier</span>
        </Link>
      }
      user={session.user}
      userRole={role}
    >
      <OrgSwitcher session={session} org={org} />
    </TopBar>
  );
}

function OrgSwitcher({ session, org }: { session: Session; org: Org }) {
  const navigate = useNavigate();
  const remember = useSwitchOrganization();
  if (session.organizations.length < 2) {
    return (
      <p className="org-name">
        {org.name} <span className="badge">{tierWords(org.tier)}</span>
      </p>
    );
  }
  const choose = (key: Key | null) => {
    if (typeof key !== "string" || key === org.id) return;
    // Remember it for next time ("/" opens the organization last chosen), and go there now.
    remember.mutate({ organizationId: key });
    void navigate({ to: "/o/$orgId/config", params: { orgId: key } });
  };
  return (
    <Select className="org-switcher" selectedKey={org.id} onSelectionChange={choose}>
      <Label className="visually-hidden">Organization</Label>
      <Button className="secondary select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {session.organizations.map((o) => (
            <ListBoxItem key={o.id} id={o.id} textValue={o.name} className="listbox-item">
              {o.name}{" "}
              <span className="muted small">
                ({tierWords(o.tier)}, {ROLE_WORDS[o.role]})
              </span>
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}

const SECTIONS = [
  { to: "/o/$orgId/config", label: "AI configuration", admin: false },
  { to: "/o/$orgId/clients", label: "Clients", admin: false },
  { to: "/o/$orgId/quotas", label: "Quotas & live cost", admin: false },
  { to: "/o/$orgId/analytics", label: "Usage analytics", admin: false },
  { to: "/o/$orgId/billing", label: "Billing", admin: true },
  { to: "/o/$orgId/alerts", label: "Alerts", admin: true },
  { to: "/o/$orgId/api", label: "API & keys", admin: false },
] as const;

/** The screens of the organization; owners and admins also see billing and alerts. */
export function AppNav({ org }: { org: Org }) {
  return (
    <nav className="sidenav" aria-label="Sections">
      <ul>
        {SECTIONS.filter((s) => org.canAdmin || !s.admin).map((s) => (
          <li key={s.to}>
            <Link
              to={s.to}
              params={{ orgId: org.id }}
              activeProps={{ "aria-current": "page", className: "active" }}
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
