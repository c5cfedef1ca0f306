import type { ThrottleProposal } from "./throttle-form";
import { consequenceWords, expiryWords, modeWords, scopeWords, type ThrottleShape } from "./words";

/** A proposal as the words and confirmation take it. */
export function shapeOf(p: ThrottleProposal): ThrottleShape {
  return {
    scope: p.input.scope,
    organizationName: p.organizationName,
    featureType: p.input.featureType ?? null,
    mode: p.input.mode,
    perMinute: p.input.perMinute ?? null,
    expiresAt: p.input.expiresAt ? new Date(p.input.expiresAt) : null,
  };
}

/** The confirmation's content: the throttle at a glance, then exactly what it will do and to whom. */
export function ThrottleReview({ proposal, now }: { proposal: ThrottleProposal; now: Date }) {
  const shape = shapeOf(proposal);
  return (
    <>
      <dl className="th-summary">
        <div>
          <dt>Applies to</dt>
          <dd>{scopeWords(shape)}</dd>
        </div>
        <div>
          <dt>Effect</dt>
          <dd>{modeWords(shape)}</dd>
        </div>
        <div>
          <dt>Reason</dt>
          <dd>{proposal.input.reason}</dd>
        </div>
        <div>
          <dt>Ends</dt>
          <dd>{expiryWords(shape.expiresAt, now)}</dd>
        </div>
      </dl>
      {consequenceWords(shape, now).map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
    </>
  );
}
