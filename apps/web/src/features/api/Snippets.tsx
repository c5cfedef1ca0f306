import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";
import { CodeBlock } from "./CopyButton";

export interface Snippet {
  id: string;
  /** The tab's name ("Typed client", "curl"). */
  label: string;
  code: string;
  /** One line on what it is for. */
  note?: string;
}

/** Ready-to-paste code, one tab per way of calling. */
export function Snippets({ snippets, label }: { snippets: Snippet[]; label: string }) {
  return (
    <Tabs className="tabs api-snippets">
      <TabList aria-label={label}>
        {snippets.map((s) => (
          <Tab key={s.id} id={s.id} className="tab">
            {s.label}
          </Tab>
        ))}
      </TabList>
      {snippets.map((s) => (
        <TabPanel key={s.id} id={s.id}>
          {s.note && <p className="muted small">{s.note}</p>}
          <CodeBlock code={s.code} label={`${s.label} snippet`} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
