import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from './components';
import { useLoad } from './hooks';
import { mayAct, signInUrl, whoIsSignedIn, type SignIn } from './identity';
import { OnboardPage } from './onboard-page';
import { RunPage } from './run-page';
import { TenantPage } from './tenant-page';
import { TenantsPage } from './tenants-page';
import { TimelinePage } from './timeline-page';

type Route = { readonly page: 'tenants' } | { readonly page: 'tenant'; readonly domain: string } | { readonly page: 'run'; readonly instanceId: string } | { readonly page: 'onboard' } | { readonly page: 'timeline' };

/** The console's pages live in the URL fragment, so the Function App serves one page for all of them. */
function routeOf(hash: string): Route {
    const [, first, second] = hash.replace(/^#/, '').split('/');
    if (first === 'tenants' && second) return { page: 'tenant', domain: decodeURIComponent(second) };
    if (first === 'runs' && second) return { page: 'run', instanceId: decodeURIComponent(second) };
    if (first === 'onboard') return { page: 'onboard' };
    if (first === 'timeline') return { page: 'timeline' };
    return { page: 'tenants' };
}

function useRoute(): Route {
    const [hash, setHash] = useState(window.location.hash);
    useEffect(() => {
        const changed = () => setHash(window.location.hash);
        window.addEventListener('hashchange', changed);
        return () => window.removeEventListener('hashchange', changed);
    }, []);
    return routeOf(hash);
}

function Navigation({ route, signIn }: { readonly route: Route; readonly signIn: SignIn }) {
    const links = [
        ['tenants', '#/', 'Tenants'],
        ['timeline', '#/timeline', 'Expiries and rotations'],
        ...(mayAct(signIn).onboard ? [['onboard', '#/onboard', 'Onboard a tenant'] as const] : []),
    ] as const;
    return (
        <header>
            <nav aria-label="Console">
                <span class="brand">Push proxy console</span>
                <ul>
                    {links.map(([page, href, label]) => (
                        <li key={page}>
                            <a href={href} aria-current={route.page === page ? 'page' : undefined}>
                                {label}
                            </a>
                        </li>
                    ))}
                </ul>
                <span class="who" data-signed-in={signIn.state}>
                    {signIn.state === 'signedIn' ? (
                        <>
                            Signed in as <strong>{signIn.identity.name}</strong> ({signIn.identity.roles.join(', ') || 'no role'}) · <a href="/.auth/logout?post_logout_redirect_uri=/api/console/">Sign out</a>
                        </>
                    ) : (
                        <a href={signInUrl()}>Sign in</a>
                    )}
                </span>
            </nav>
        </header>
    );
}

function Page({ route, signIn }: { readonly route: Route; readonly signIn: SignIn }) {
    if (signIn.state === 'signedOut') {
        return (
            <>
                <h1>Sign in</h1>
                <p>
                    The console shows and changes tenants as you: <a href={signInUrl()}>sign in with Microsoft Entra ID</a>.
                </p>
            </>
        );
    }
    if (!mayAct(signIn).read) {
        return (
            <>
                <h1>No app role</h1>
                <p>
                    You are signed in as {signIn.identity.name}, who holds none of the API's app roles. Ask an administrator to assign you PushProxy.Reader (to see tenants), PushProxy.Operator
                    (to onboard and verify) or PushProxy.Administrator: Entra admin center, Enterprise applications, the API's application, Users and groups.
                </p>
            </>
        );
    }
    switch (route.page) {
        case 'tenant':
            return <TenantPage domain={route.domain} mayVerify={mayAct(signIn).verify} />;
        case 'run':
            return <RunPage instanceId={route.instanceId} />;
        case 'onboard':
            return mayAct(signIn).onboard ? <OnboardPage /> : <p>Onboarding needs the PushProxy.Operator or PushProxy.Administrator role.</p>;
        case 'timeline':
            return <TimelinePage />;
        default:
            return <TenantsPage />;
    }
}

/** The pages are in the fragment: the skip link moves the focus instead of changing it. */
function skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
}

function App() {
    const route = useRoute();
    const [signIn] = useLoad(whoIsSignedIn, 'me');
    // After moving to another page (not on the first load), the focus goes to its content, as a page load would.
    const firstPage = useRef(true);
    useEffect(() => {
        if (firstPage.current) firstPage.current = false;
        else document.getElementById('main')?.focus();
    }, [route.page]);
    return (
        <>
            <a class="skip" href="#main" onClick={skipToContent}>
                Skip to content
            </a>
            {signIn.state === 'loaded' && <Navigation route={route} signIn={signIn.value} />}
            <main id="main" tabIndex={-1}>
                {signIn.state === 'loading' ? <p>Loading…</p> : signIn.state === 'failed' ? <ErrorNotice error={signIn.error} /> : <Page route={route} signIn={signIn.value} />}
            </main>
        </>
    );
}

const root = document.getElementById('app');
if (root) {
    // Preact renders beside what is there: the page's loading note goes first.
    root.replaceChildren();
    render(<App />, root);
}
