const express = require('express');
const app = express();
const port = 3000;

app.get('/', (req, res) => {
  res.send(`
    <h1>🚀 Live Development Server</h1>
    <p>Edit server.js and see changes instantly!</p>
    <p>Current time: ${new Date().toLocaleTimeString()}</p>
  `);
});

app.listen(port, () => {
  console.log(`Dev server running at http://localhost:${port}`);
});
