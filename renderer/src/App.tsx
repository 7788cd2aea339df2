export function App() {
  const version = window.airlock?.version;
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '3rem auto', lineHeight: 1.5 }}>
      <h1>Airlock</h1>
      <p>The desktop flows (export, import, verify media) are coming.</p>
      <p>
        Until then, the command-line interface does everything: run <code>npx airlock --help</code> in the
        Airlock folder.
      </p>
      {version ? <p style={{ color: '#555' }}>Version {version}</p> : null}
    </main>
  );
}
