import { Link } from 'react-router';

export const NotFoundPage = () => (
  <div className="page">
    <div className="empty-state">
      <h2>Page not found</h2>
      <p>
        <Link to="/accounts">Back to accounts</Link>
      </p>
    </div>
  </div>
);
