// Where the server is. Production builds set this to the platform's HTTPS domain (a legal request domain).
module.exports = { baseUrl: 'http://127.0.0.1:8000' };
