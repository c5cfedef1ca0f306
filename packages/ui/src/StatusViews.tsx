/** A screen or part of one that is still loading: announced politely (role=status). */
export function Loading({ label }: { label: string }) {
  return (
    <p className="status" role="status">
      {label}
    </p>
  );
}
