import { TopBar } from "@wedsync/ui/TopBar";

/** A signed-in person who is not platform staff: say so plainly and point to the supplier app. */
export function StaffOnly({ user }: { user: { name: string; email: string } }) {
  return (
    <>
      <TopBar product="Admin" user={user} />
      <main className="page">
        <h1>Platform staff only</h1>
        <p>
          The admin app is for WedSync platform staff. You are signed in as {user.email}, which is not a staff
          account.
        </p>
        <p>
          <a href="/">Go to the supplier app</a> to see your organization's configuration.
        </p>
      </main>
    </>
  );
}
