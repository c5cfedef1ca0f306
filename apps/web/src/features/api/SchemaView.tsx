import { Button, Disclosure, DisclosurePanel, Heading } from "react-aria-components";
import { CodeBlock } from "./CopyButton";
import { inputVariants, type Schema } from "./schema-rows";

/** An input schema as a table a person reads (field, type, required, rules), and the JSON Schema itself. */
export function SchemaView({ schema, path }: { schema: Schema | null; path: string }) {
  if (!schema) return <p className="muted">Takes no input.</p>;
  const variants = inputVariants(schema);
  return (
    <div className="api-schema">
      {variants.map((v, i) => (
        <div key={v.title ?? i}>
          {v.title && <h4>{v.title}</h4>}
          {v.rows.length === 0 ? (
            <p className="muted">No fields.</p>
          ) : (
            <div className="table-scroll api-table">
              <table className="data">
                <caption className="visually-hidden">
                  Input fields of {path}
                  {v.title ? `, ${v.title}` : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Type</th>
                    <th scope="col">Required</th>
                    <th scope="col">Rules and meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {v.rows.map((r) => (
                    <tr key={r.name}>
                      <th scope="row">
                        <code style={{ paddingLeft: `${r.depth}rem` }}>{r.name}</code>
                      </th>
                      <td>{r.type}</td>
                      <td>{r.required ? "Required" : "Optional"}</td>
                      <td>
                        {[...r.rules, ...(r.description ? [r.description] : [])].join("; ") || (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
      <Disclosure className="api-disclosure">
        <Heading level={4}>
          <Button slot="trigger" className="secondary">
            JSON Schema
          </Button>
        </Heading>
        <DisclosurePanel>
          <CodeBlock code={JSON.stringify(schema, null, 2)} label={`JSON Schema of ${path}`} />
        </DisclosurePanel>
      </Disclosure>
    </div>
  );
}
