import { useState } from "react";

/** Settings for the Qualys integration: platform URL and credentials. */
export function QualysSettingsPage() {
  const [platformUrl, setPlatformUrl] = useState("https://qualysapi.qualys.com");
  const [username, setUsername] = useState("");

  return (
    <form>
      <h1>Qualys</h1>
      <label>
        Platform URL
        <input value={platformUrl} onChange={(event) => setPlatformUrl(event.target.value)} />
      </label>
      <label>
        Username
        <input value={username} onChange={(event) => setUsername(event.target.value)} />
      </label>
      {/* TODO: password field, test connection, save */}
    </form>
  );
}
