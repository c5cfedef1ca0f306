import { Page } from "@wedsync/ui/Page";
import { TopBar } from "@wedsync/ui/TopBar";

/** A signed-in person who is not platform staff: say so plainly and point to the supplier app. */
export function StaffOnly({ user }: { user: { name: string; email: string } }) {
  return (
    <>
      <TopBar
        brand={
          <>
            WedSync <span className="product">Admin</span>
          </>
        }
        user={user}
      />
      <main className="page" id="main">
        <Page title="Platform staff only">
          <p>
            The admin app is for WedSync platform staff. You are signed in as {user.email}, which is not a
            staff account.
          </p>
          <p>
            <a href="/">Go to the supplier app</a> to see your organization's configuration.
          </p>
        </Page>
      </main>
    </>
  );
}
