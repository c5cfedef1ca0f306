import { keepPreviousData } from "@tanstack/react-query";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { FieldError, Input, Label, TextField } from "react-aria-components";
import { whenWords } from "../../lib/when";
import { PRICE_FIELDS, PRICE_LABELS, type PriceProposal } from "./price-form";
import { type PricePreview, perMillion, requestCost } from "./words";

/** modelPrices.preview's ceiling for an example's token counts. */
export const MAX_EXAMPLE_TOKENS = 10_000_000;
/** The API's default example: a typical extraction request. */
export const DEFAULT_EXAMPLE = { inputTokens: "1000", cachedInputTokens: "200", outputTokens: "500" };

type Example = typeof DEFAULT_EXAMPLE;
type TokenField = keyof Example;
const TOKEN_LABELS: Record<TokenField, string> = {
  inputTokens: "Input tokens",
  cachedInputTokens: "Of which cached",
  outputTokens: "Output tokens",
};

const wholeNumber = (v: string) => {
  const digits = v.trim().replace(/,/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
};

/** Each token count's problem (naming it and the limit), or the counts to send. */
export function exampleProblems(example: Example): {
  problems: Partial<Record<TokenField, string>>;
  counts: Record<TokenField, number> | null;
} {
  const problems: Partial<Record<TokenField, string>> = {};
  const counts = {} as Record<TokenField, number>;
  for (const field of Object.keys(TOKEN_LABELS) as TokenField[]) {
    const n = wholeNumber(example[field]);
    if (!Number.isSafeInteger(n) || n > MAX_EXAMPLE_TOKENS) {
      problems[field] =
        `${TOKEN_LABELS[field]} must be a whole number from 0 to ${formatCount(MAX_EXAMPLE_TOKENS)}.`;
    }
    counts[field] = n;
  }
  if (!problems.cachedInputTokens && !problems.inputTokens && counts.cachedInputTokens > counts.inputTokens) {
    problems.cachedInputTokens = `Cached tokens are part of the input tokens: at most ${formatCount(counts.inputTokens)}.`;
  }
  return { problems, counts: Object.keys(problems).length === 0 ? counts : null };
}

/**
 * The confirmation's figures: the price it replaces and the new one side by side, and an example
 * request's cost under each as billing computes it (modelPrices.preview), its token counts editable.
 */
export function PriceReview({ proposal }: { proposal: PriceProposal }) {
  const [example, setExample] = useState<Example>(DEFAULT_EXAMPLE);
  const { problems, counts } = exampleProblems(example);
  const preview = trpc.modelPrices.preview.useQuery(
    { ...proposal, ...(counts ?? { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 }) },
    { enabled: counts !== null, placeholderData: keepPreviousData },
  );
  const at = new Date();
  return (
    <>
      <p>
        From {whenWords(proposal.effectiveFrom, at)}, every request of {proposal.model} ({proposal.provider})
        is charged at the new price. Requests before then keep the price they were charged at.
      </p>
      <fieldset className="pr-fieldset">
        <legend>Example request</legend>
        <div className="pr-tokens">
          {(Object.keys(TOKEN_LABELS) as TokenField[]).map((field) => (
            <TextField
              key={field}
              className="field"
              value={example[field]}
              onChange={(v) => setExample((e) => ({ ...e, [field]: v }))}
              inputMode="numeric"
              isInvalid={problems[field] !== undefined}
              validationBehavior="aria"
            >
              <Label>{TOKEN_LABELS[field]}</Label>
              <Input />
              <FieldError className="field-error">{problems[field]}</FieldError>
            </TextField>
          ))}
        </div>
      </fieldset>
      {preview.data ? (
        <PreviewFigures preview={preview.data} />
      ) : preview.error ? (
        <ApiErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <Loading label="Working out the example request's cost…" />
      )}
    </>
  );
}

/** Old and new prices and the example's cost under each, exactly as the API computed them. */
export function PreviewFigures({ preview }: { preview: PricePreview }) {
  const { old, example } = preview;
  const at = new Date();
  const starts = preview.effectiveFrom ? whenWords(preview.effectiveFrom, at) : "now";
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1) */}
      <section className="table-scroll th-scroll" aria-label="Old and new prices" tabIndex={0}>
        <table className="data" data-testid="price-preview">
          <caption>
            Per million tokens, and the example request: {formatCount(example.inputTokens)} input tokens (
            {formatCount(example.cachedInputTokens)} cached) and {formatCount(example.outputTokens)} output
            tokens
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Figure</span>
              </th>
              <th scope="col" className="num">
                {old ? `Before (since ${whenWords(old.price.effectiveFrom, at)})` : "Before"}
              </th>
              <th scope="col" className="num">
                New (from {starts})
              </th>
            </tr>
          </thead>
          <tbody>
            {PRICE_FIELDS.map((f) => (
              <tr key={f}>
                <th scope="row">{PRICE_LABELS[f]}</th>
                <td className="num">{old ? perMillion(old.price[f]) : "No price"}</td>
                <td className="num">{perMillion(preview.new.price[f])}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Example request</th>
              <td className="num">{old ? requestCost(old.costUsd) : "No price"}</td>
              <td className="num">{requestCost(preview.new.costUsd)}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <p aria-live="polite">{changeWords(preview)}</p>
    </>
  );
}

function changeWords(preview: PricePreview): string {
  const cost = requestCost(preview.new.costUsd);
  if (!preview.old || preview.changeUsd === null) {
    return `${preview.model} has no price before this one: the example request will cost ${cost}.`;
  }
  const change = preview.changeUsd;
  const size = formatUsd(change.replace(/^-/, ""), "micros");
  if (/^-?0+(\.0+)?$/.test(change)) return `The example request costs the same, ${cost}.`;
  return `The example request will cost ${cost} instead of ${requestCost(preview.old.costUsd)}: ${size} ${
    change.startsWith("-") ? "less" : "more"
  }.`;
}
