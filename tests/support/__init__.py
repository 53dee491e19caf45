"""What the tests share: the API client and live server, the throwaway PostgreSQL server, the law-text reader."""
