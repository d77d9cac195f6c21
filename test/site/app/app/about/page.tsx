export default function About() {
  return <h1 id="about-title">About the tutors</h1>;
}
