import { errorMessage } from "@wedsync/ui/errors";
import { tierLabel } from "@wedsync/ui/format";
import { useSwitchOrganization } from "@wedsync/ui/session";
import type { Session } from "@wedsync/ui/trpc";
import { type FormEvent, useId, useState } from "react";

type Organization = Session["organizations"][number];

/** Choose which of your organizations this session works in. Applies on submit, not on selection. */
export function OrgSwitcher({
  organizations,
  currentId,
}: {
  organizations: Organization[];
  currentId: string;
}) {
  const id = useId();
  const [selected, setSelected] = useState(currentId);
  const switchOrg = useSwitchOrganization();

  function submit(event: FormEvent) {
    event.preventDefault();
    switchOrg.mutate({ organizationId: selected });
  }

  return (
    <form className="switcher" onSubmit={submit}>
      <label htmlFor={id}>Organization</label>
      <select id={id} value={selected} onChange={(e) => setSelected(e.target.value)}>
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({tierLabel(o.tier)})
          </option>
        ))}
      </select>
      <button type="submit" className="secondary" disabled={selected === currentId || switchOrg.isPending}>
        Switch
      </button>
      {switchOrg.error && (
        <p className="field-error" role="alert">
          {errorMessage(switchOrg.error)}
        </p>
      )}
    </form>
  );
}
