export default function Admin() {
  return <h1 id="admin-title">Admin</h1>;
}
